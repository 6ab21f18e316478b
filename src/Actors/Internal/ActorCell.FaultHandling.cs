using Microsoft.Extensions.Logging;

namespace AlgoPerf.Actors.Internal;

internal sealed partial class ActorCell
{
    private bool _failed;
    private bool _terminating;
    private Exception? _pendingRecreate;
    private object? _failedMessage;

    /// <summary>
    /// A failure of this actor (in a handler, a lifecycle hook or a system message): suspend self and children, and
    /// let the parent's strategy decide. While a failure is pending, further failures are only logged.
    /// </summary>
    private void HandleInvokeFailure(Exception cause)
    {
        if (_terminating)
        {
            LogMessages.FailureWhileStopping(Log, Self.Path, cause);
            return;
        }

        if (_failed)
        {
            LogMessages.FailureWhileFailed(Log, Self.Path, cause);
            return;
        }

        _failed = true;
        _failedMessage = _current.Message;
        Mailbox.SuspendCount++;
        SendToChildren(static () => new Suspend());
        ParentRef.SendSystemMessage(new Failed(SelfRef, cause, Uid));
    }

    /// <summary>The parent side: a child failed; apply the supervisor strategy (or escalate by failing too).</summary>
    private void HandleFailed(Failed failed)
    {
        if (_terminating)
        {
            return;
        }

        var entry = FindChild(failed.Child);
        if (entry is null || entry.Ref.Cell.Uid != failed.Uid)
        {
            return;
        }

        var strategy = Strategy;
        var directive = strategy.Decide(failed.Cause);
        strategy.LogFailure(Log, failed.Child, failed.Cause, directive);
        if (!strategy.HandleFailure(this, entry, failed.Cause, directive, ChildEntries()))
        {
            HandleInvokeFailure(failed.Cause);
        }
    }

    private void FaultResume(Exception? causedByFailure)
    {
        if (_actor is null && causedByFailure is not null)
        {
            FaultRecreate(causedByFailure);
            return;
        }

        if (causedByFailure is not null)
        {
            _failed = false;
            _failedMessage = null;
        }

        if (Mailbox.SuspendCount > 0)
        {
            Mailbox.SuspendCount--;
        }

        SendToChildren(static () => new Resume(null));
    }

    private void FaultRecreate(Exception cause)
    {
        if (_terminating)
        {
            return;
        }

        CancelTimersAndReceiveTimeout();
        ReturnStashToMailbox();
        if (_actor is not null)
        {
            try
            {
                _actor.AroundPreRestart(cause, _failedMessage);
            }
            catch (Exception e)
            {
                LogMessages.PreRestartFailed(Log, Self.Path, e);
            }
        }

        _actor = null;
        _persistent = null;
        if (_stoppingChildren.Count > 0)
        {
            _pendingRecreate = cause;
            return;
        }

        FinishRecreate(cause);
    }

    private void FinishRecreate(Exception cause)
    {
        _pendingRecreate = null;
        _failed = false;
        _failedMessage = null;
        if (Mailbox.SuspendCount > 0)
        {
            Mailbox.SuspendCount--;
        }

        var survivors = ChildEntries().FindAll(c => !_stoppingChildren.Contains(c.Ref));
        try
        {
            var actor = NewInstance();
            UseInstance(actor);
            actor.AroundPostRestart(cause);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(new ActorInitializationException($"{Self.Path}: restart of {Props.ActorType.Name} failed: {e.Message}", e));
            return;
        }

        foreach (var child in survivors)
        {
            child.Ref.SendSystemMessage(new Recreate(cause));
        }
    }

    private void BeginTerminate()
    {
        if (_terminating)
        {
            return;
        }

        _terminating = true;
        CancelTimersAndReceiveTimeout();
        Mailbox.SuspendCount++;
        var children = ChildEntries();
        foreach (var child in children)
        {
            child.Ref.SendSystemMessage(new Terminate());
        }

        if (children.Count == 0)
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        if (_actor is not null)
        {
            try
            {
                _actor.AroundPostStop();
            }
            catch (Exception e)
            {
                LogMessages.PostStopFailed(Log, Self.Path, e);
            }
        }

        _actor = null;
        _persistent = null;
        _behavior = static _ => { };
        DropStash();
        foreach (var message in Mailbox.Close())
        {
            System.HandleDeadSystemMessage(SelfRef, message);
        }

        NotifyDeath();
        if (Props.Dispatcher == Dispatchers.Pinned)
        {
            LogMessages.PinnedThreadReleased(Log, Self.Path);
        }
    }
}
