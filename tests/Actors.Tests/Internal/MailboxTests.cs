using AlgoPerf.Actors.Internal;

namespace AlgoPerf.Actors.Tests.Internal;

public sealed class MailboxTests : ActorTestBase
{
    private sealed class RecordingDispatcher : MessageDispatcher
    {
        public int Scheduled { get; private set; }

        public override void Schedule(Mailbox mailbox) => Scheduled++;
    }

    [Fact]
    public void Execute_MoreMessagesThanThroughput_HandlesOneBatchPerTurnAndReschedules()
    {
        var received = new List<object>();
        var dispatcher = new RecordingDispatcher();
        var cell = new ActorCell(Sys, LambdaActor.Props((_, m) => received.Add(m)), Sys.UserGuardian, "/user/manual", dispatcher, throughput: 3);
        cell.Start();
        for (var i = 0; i < 7; i++)
        {
            cell.SelfRef.Tell(i, null);
        }

        Assert.Equal(1, dispatcher.Scheduled);
        cell.Mailbox.Execute();
        Assert.Equal([0, 1, 2], received);
        Assert.Equal(2, dispatcher.Scheduled);
        cell.Mailbox.Execute();
        Assert.Equal([0, 1, 2, 3, 4, 5], received);
        cell.Mailbox.Execute();
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], received);
        Assert.Equal(3, dispatcher.Scheduled);
    }

    [Fact]
    public void Execute_SystemMessageArrivesMidBatch_RunsBeforeTheNextUserMessage()
    {
        var received = new List<object>();
        var dispatcher = new RecordingDispatcher();
        ActorCell? cell = null;
        cell = new ActorCell(Sys, LambdaActor.Props((_, m) =>
        {
            received.Add(m);
            if (m is 0)
            {
                cell!.SelfRef.SendSystemMessage(new Terminate());
            }
        }), Sys.UserGuardian, "/user/manual2", dispatcher, throughput: 10);
        cell.Start();
        cell.SelfRef.Tell(0, null);
        cell.SelfRef.Tell(1, null);

        cell.Mailbox.Execute();

        Assert.Equal([0], received);
        Assert.True(cell.Mailbox.IsClosed);
    }
}
