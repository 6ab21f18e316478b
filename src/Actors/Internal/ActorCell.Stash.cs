namespace AlgoPerf.Actors.Internal;

internal sealed partial class ActorCell : IStash
{
    private List<Envelope>? _stash;

    public int Count => _stash?.Count ?? 0;

    void IStash.Stash()
    {
        if (_current.Message is null)
        {
            throw new InvalidOperationException($"{Self.Path}: Stash() is only valid while handling a message");
        }

        (_stash ??= []).Add(_current);
    }

    public void Unstash()
    {
        if (_stash is { Count: > 0 })
        {
            var first = _stash[0];
            _stash.RemoveAt(0);
            Mailbox.Prepend([first]);
        }
    }

    public void UnstashAll()
    {
        if (_stash is { Count: > 0 })
        {
            Mailbox.Prepend(_stash);
            _stash = null;
        }
    }

    private void ReturnStashToMailbox() => UnstashAll();

    private void DropStash()
    {
        if (_stash is null)
        {
            return;
        }

        foreach (var e in _stash)
        {
            System.PublishDeadLetter(e.Message, e.Sender, Self);
        }

        _stash = null;
    }
}
