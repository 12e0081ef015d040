namespace LbOperator.Framework.Entities;

/// <summary>Where a printer column shows: always (priority 0) or only with <c>kubectl get -o wide</c> (priority 1).</summary>
public enum PrinterColumnPriority
{
    StandardView,
    WideView,
}
