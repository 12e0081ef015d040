using LbOperator.Sandbox.Host;

// Composition root of the sandbox: the API server and node simulation, with the operator in-process.
return await SandboxCli.InvokeAsync(args, Console.Out, Console.Error, CancellationToken.None);
