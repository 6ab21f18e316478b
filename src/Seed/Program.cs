using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Commands;
using AlgoPerf.Seed.Commands.Bench;

namespace AlgoPerf.Seed;

/// <summary>The <c>algoperf</c> executable: the CLI and composition root.</summary>
internal static class Program
{
    /// <summary>Every verb; each lives in its own file under <c>Commands/</c>.</summary>
    internal static readonly ICommand[] Commands =
    [
        new RunCommand(),
        new ResumeCommand(),
        new SeedCommand(),
        new WorkerCommand(),
        new StatusCommand(),
        new DashboardCommand(),
        new VersionCommand(),
        new BenchCommand(),
        new TuneCommand(),
        new ScoreCommand(),
        new TrainCommand(),
        new TargetsCommand(),
    ];

    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        return await RunAsync(args, CliContext.Console(), cts.Token).ConfigureAwait(false);
    }

    /// <summary>Dispatches to a verb. Usage errors exit 2, input and runtime errors exit 1, each as one clear line.</summary>
    internal static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            PrintHelp(context.Out);
            return args.Length == 0 ? 2 : 0;
        }

        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            await context.Error.WriteLineAsync($"algoperf: unknown verb '{args[0]}' (see ./algoperf help)").ConfigureAwait(false);
            return 2;
        }

        try
        {
            return await command.RunAsync(new CommandArgs(args.Skip(1)), context, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await context.Error.WriteLineAsync($"algoperf {command.Name}: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"algoperf {command.Name}: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException or KeyNotFoundException or ArgumentException)
        {
            // Bad input (files, configs, search spaces): the message names the file and field.
            await context.Error.WriteLineAsync($"algoperf {command.Name}: error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (DllNotFoundException e)
        {
            // The libtorch shim is not built or not found; the message says where it looked and how to build it.
            await context.Error.WriteLineAsync($"algoperf {command.Name}: error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // A run that could not complete (e.g. a tuner stopped for good): the journal keeps what was stored, so
            // the same command resumes once the cause is fixed.
            await context.Error.WriteLineAsync($"algoperf {command.Name}: failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static void PrintHelp(TextWriter output)
    {
        output.WriteLine("usage: ./algoperf VERB [options]");
        output.WriteLine();
        foreach (var c in Commands)
        {
            output.WriteLine($"  {c.Name,-10} {c.Summary}");
        }
    }
}
