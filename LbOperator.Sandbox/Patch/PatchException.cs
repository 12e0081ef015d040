namespace LbOperator.Sandbox.Patch;

/// <summary>A patch that cannot be applied; the API server answers 422 (or 400) with this message.</summary>
public sealed class PatchException(string message) : Exception(message);
