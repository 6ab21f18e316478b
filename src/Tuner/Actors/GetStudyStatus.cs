namespace AlgoPerf.Tuner.Actors;

/// <summary>Asks a tuner for its <see cref="StudyStatus"/>.</summary>
public sealed record GetStudyStatus
{
    /// <summary>The single instance.</summary>
    public static GetStudyStatus Instance { get; } = new();
}
