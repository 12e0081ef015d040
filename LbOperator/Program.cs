using LbOperator.Cli;

// Composition root: the command line decides which part of LbOperator runs.
return await LbOperatorCli.InvokeAsync(args, Console.Out, Console.Error, CancellationToken.None);
