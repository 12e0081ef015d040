using LbOperator.Framework.Entities;
using LbOperator.Framework.Queue;
using LbOperator.Framework.Reconciliation;
using Microsoft.Extensions.Time.Testing;

namespace LbOperator.Tests.Framework.Queue;

[Category("Unit")]
public sealed class EntityWorkQueueTests
{
    private static readonly EntityKey A = new("ns", "a");
    private static readonly EntityKey B = new("ns", "b");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Test]
    public async Task Keeps_One_Entry_Per_Object()
    {
        var queue = new EntityWorkQueue<string>(_time);
        queue.Enqueue(A, ReconciliationType.Added, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);
        queue.Enqueue(A, ReconciliationType.Modified, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);
        queue.Enqueue(A, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.Zero);

        queue.Count.Should().Be(1);
        var entry = await queue.DequeueAsync(CancellationToken.None).WaitAsync(Timeout);
        entry.Key.Should().Be(A);
        entry.Type.Should().Be(ReconciliationType.Added);
        entry.Source.Should().Be(ReconciliationTriggerSource.ApiServer);
        queue.Count.Should().Be(0);
    }

    [Test]
    public void Earliest_Due_Time_Wins_When_Requests_Merge()
    {
        var queue = new EntityWorkQueue<string>(_time);
        queue.Enqueue(A, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.FromMinutes(5));
        queue.Enqueue(A, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.FromSeconds(1));
        queue.Enqueue(A, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.FromMinutes(10));

        var dequeue = queue.DequeueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        dequeue.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        dequeue.Wait(Timeout).Should().BeTrue();
        dequeue.Result.Due.Should().Be(_time.GetUtcNow());
    }

    [Test]
    public async Task Hands_Out_Entries_In_Due_Order()
    {
        var queue = new EntityWorkQueue<string>(_time);
        queue.Enqueue(A, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.FromSeconds(2));
        queue.Enqueue(B, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(3));

        (await queue.DequeueAsync(CancellationToken.None).WaitAsync(Timeout)).Key.Should().Be(B);
        (await queue.DequeueAsync(CancellationToken.None).WaitAsync(Timeout)).Key.Should().Be(A);
    }

    [Test]
    public async Task Never_Hands_Out_An_Object_Twice_At_Once()
    {
        var queue = new EntityWorkQueue<string>(_time);
        queue.Enqueue(A, ReconciliationType.Added, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);
        var first = await queue.DequeueAsync(CancellationToken.None).WaitAsync(Timeout);

        queue.Enqueue(A, ReconciliationType.Modified, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);
        queue.Enqueue(B, ReconciliationType.Added, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);
        (await queue.DequeueAsync(CancellationToken.None).WaitAsync(Timeout)).Key.Should().Be(B, "A is still being reconciled");

        var second = queue.DequeueAsync(CancellationToken.None);
        await Task.Delay(50);
        second.IsCompleted.Should().BeFalse("A's next entry waits until its reconcile is done");

        queue.Done(first.Key);
        (await second.WaitAsync(Timeout)).Key.Should().Be(A);
    }

    [Test]
    public async Task Matches_A_Linear_Scan_Over_Random_Requests_Merges_And_Objects_In_Flight()
    {
        // The queue keeps a heap with stale entries; a model that scans every pending entry is the reference.
        var random = new Random(12);
        var queue = new EntityWorkQueue<string>(_time);
        var model = new Dictionary<EntityKey, DateTimeOffset>();
        var inFlight = new HashSet<EntityKey>();
        for (var step = 0; step < 3000; step++)
        {
            var key = new EntityKey("ns", $"s{random.Next(40)}");
            switch (random.Next(4))
            {
                case 0 or 1:
                    var delay = TimeSpan.FromSeconds(random.Next(0, 20));
                    queue.Enqueue(key, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, delay);
                    var due = _time.GetUtcNow() + delay;
                    model[key] = model.TryGetValue(key, out var known) && known < due ? known : due;
                    break;
                case 2:
                    _time.Advance(TimeSpan.FromSeconds(random.Next(0, 3)));
                    var expected = model
                        .Where(entry => !inFlight.Contains(entry.Key) && entry.Value <= _time.GetUtcNow())
                        .OrderBy(entry => entry.Value)
                        .Select(entry => (DateTimeOffset?)entry.Value)
                        .FirstOrDefault();
                    var dequeue = queue.DequeueAsync(CancellationToken.None);
                    if (expected is null)
                    {
                        dequeue.IsCompleted.Should().BeFalse($"nothing is due at step {step}");
                        queue.Enqueue(new EntityKey("ns", "wake"), ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.Zero);
                        (await dequeue.WaitAsync(Timeout)).Key.Name.Should().Be("wake");
                        queue.Done(new EntityKey("ns", "wake"));
                        break;
                    }

                    var taken = await dequeue.WaitAsync(Timeout);
                    taken.Due.Should().Be(expected.Value, $"the earliest due object comes out at step {step}");
                    model[taken.Key].Should().Be(taken.Due);
                    model.Remove(taken.Key);
                    inFlight.Add(taken.Key).Should().BeTrue("an object in flight is never handed out again");
                    break;
                default:
                    if (inFlight.Remove(key))
                    {
                        queue.Done(key);
                    }

                    break;
            }

            queue.Count.Should().Be(model.Count);
        }
    }

    [Test]
    public async Task A_Seen_Deletion_Is_Not_Overwritten_By_Later_Requests()
    {
        var queue = new EntityWorkQueue<string>(_time);
        queue.Enqueue(A, ReconciliationType.Deleted, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero, deletedEntity: "last state");
        queue.Enqueue(A, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.Zero);

        var entry = await queue.DequeueAsync(CancellationToken.None).WaitAsync(Timeout);
        entry.Type.Should().Be(ReconciliationType.Deleted);
        entry.DeletedEntity.Should().Be("last state");
    }

    [Test]
    public void Keeps_The_Highest_Retry_Count()
    {
        var queue = new EntityWorkQueue<string>(_time);
        queue.Enqueue(A, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.FromSeconds(8), retryCount: 4);
        queue.Enqueue(A, ReconciliationType.Modified, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);

        var entry = queue.DequeueAsync(CancellationToken.None).Result;
        entry.RetryCount.Should().Be(4);
        entry.Source.Should().Be(ReconciliationTriggerSource.ApiServer, "a watch event makes the pending retry run now");
    }

    [Test]
    public void Refuses_Requests_While_Intake_Is_Suspended()
    {
        var queue = new EntityWorkQueue<string>(_time);
        queue.SuspendIntake();
        queue.Enqueue(A, ReconciliationType.Added, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero).Should().BeFalse();
        queue.Count.Should().Be(0);

        queue.ResumeIntake();
        queue.Enqueue(A, ReconciliationType.Added, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero).Should().BeTrue();
        queue.Count.Should().Be(1);
    }

    [Test]
    public void Dequeue_Stops_When_Cancelled()
    {
        var queue = new EntityWorkQueue<string>(_time);
        using var cancellation = new CancellationTokenSource();
        var dequeue = queue.DequeueAsync(cancellation.Token);
        cancellation.Cancel();

        var wait = () => dequeue.Wait(Timeout);
        wait.Should().Throw<AggregateException>().WithInnerException<OperationCanceledException>();
    }
}
