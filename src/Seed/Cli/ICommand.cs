namespace AlgoPerf.Seed.Cli;

/// <summary>One CLI verb (<c>./algoperf VERB ...</c>).</summary>
internal interface ICommand
{
    /// <summary>The verb, e.g. <c>score</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>./algoperf help</c>.</summary>
    string Summary { get; }

    /// <summary>Runs the verb; returns the process exit code.</summary>
    Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken);
}
