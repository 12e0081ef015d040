using LbOperator.Framework.Runtime;

namespace LbOperator.Controllers;

/// <summary>The first look at kube-ovn-controller's <c>--enable-lb-svc</c>, before any Service is reconciled.</summary>
internal sealed class KubeOvnLbSvcFirstCheck(KubeOvnLbSvcCheck check) : IOperatorStartupTask
{
    public Task RunAsync(CancellationToken cancellationToken) => check.RefreshAsync(cancellationToken);
}
