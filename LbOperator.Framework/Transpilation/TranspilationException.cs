namespace LbOperator.Framework.Transpilation;

/// <summary>A C# type or attribute that cannot become a valid manifest; the message names the type and member.</summary>
public sealed class TranspilationException(string message) : Exception(message);
