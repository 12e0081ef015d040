using LbOperator.Framework.Builder;

namespace LbOperator.Framework.Runtime;

/// <summary>The operator-wide limit on reconciles running at once (<see cref="OperatorSettings.MaxParallelReconciliations"/>).</summary>
internal sealed class ReconcileSlots(OperatorSettings settings) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(settings.MaxParallelReconciliations, settings.MaxParallelReconciliations);

    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
