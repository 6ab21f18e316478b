using AlgoPerf.DistributedRankHost;

// One rank of a Gloo gang in a process of its own, for the tests of tests/Trainer.Tests/Distributed/:
//   AlgoPerf.DistributedRankHost MODE --rank R --world K --store HOST:PORT --gang ID [--bind HOST] [--timeout-s S]
// Modes:
//   parity  trains ParityTraining's MLP as rank R; prints "parameters <SHA-256 of the final parameters>"
//   stall   answers one all-reduce (the handshake), prints "ready", then idles until standard input closes or the
//           test kills it, so the test's rank waits on a peer that dies
//   trial   runs rank R of a real trial (--run-dir DIR --steps N); prints "outcome REASON STEP resumed FROM"
// Exit codes: 0 done, 1 failed (the message on standard error), 2 bad arguments.
if (args.Length == 0 || !Modes.All.TryGetValue(args[0], out var mode))
{
    await Console.Error.WriteLineAsync($"usage: AlgoPerf.DistributedRankHost {string.Join('|', Modes.All.Keys)} --rank R --world K --store HOST:PORT --gang ID [--bind HOST] [--timeout-s S]");
    return 2;
}

RankArguments arguments;
try
{
    arguments = RankArguments.Parse(args.AsSpan(1));
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

try
{
    mode(arguments);
    return 0;
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync($"rank {arguments.Rank}: {e}");
    return 1;
}
