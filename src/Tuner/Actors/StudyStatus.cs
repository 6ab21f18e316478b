using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;

namespace AlgoPerf.Tuner.Actors;

/// <summary>A tuner's answer to <see cref="GetStudyStatus"/>.</summary>
/// <param name="Study">The study.</param>
/// <param name="TrialsPlanned">Trials in the plan.</param>
/// <param name="TrialsEnded">Trials finished or failed.</param>
/// <param name="EventsPersisted">Highest sequence number of the tuner's stream.</param>
/// <param name="Decision">The decision, once made.</param>
public sealed record StudyStatus(StudyId Study, int TrialsPlanned, int TrialsEnded, long EventsPersisted, StudyDecided? Decision);
