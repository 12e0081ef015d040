namespace LbOperator.Framework.Transpilation;

/// <summary>One generated file: its path under the output folder ('/'-separated) and its whole text.</summary>
public sealed record ManifestFile(string RelativePath, string Content);
