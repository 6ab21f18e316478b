using Akka.Actor;
using Akka.Event;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Tuner.Actors;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Seed.Orchestration;

/// <summary>
/// The run's root: one persistent <see cref="TunerActor"/> per (submission, workload, study), each under a back-off
/// supervisor (a tuner whose write failed or whose recovery failed stops; the restart recovers what landed), all
/// asking the scheduler for trials. It completes the task it is given when every study is decided, or fails it when a
/// tuner gives its study up (<see cref="StudyAbandoned"/>: a rejected plan, an unreadable journal) or its supervisor
/// stops. Its own state is derived from the configuration (the plan lives in the tuners' journal streams),
/// so a restarted run recreates the same tuners, which recover instead of re-planning.
/// </summary>
public sealed class BenchmarkActor : UntypedActor
{
    private readonly BenchmarkSettings _settings;
    private readonly IReadOnlyDictionary<string, SearchSpace?> _spaces;
    private readonly RestartBackoff _backoff;
    private readonly IActorRef _scheduler;
    private readonly TaskCompletionSource<IReadOnlyList<StudyDecided>> _done;
    private readonly Dictionary<StudyId, StudyDecided> _decided = [];
    private readonly Dictionary<IActorRef, StudyId> _tuners = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Creates the actor (through <see cref="Props"/>).</summary>
    public BenchmarkActor(
        BenchmarkSettings settings,
        IReadOnlyDictionary<string, SearchSpace?> spaces,
        RestartBackoff backoff,
        IActorRef scheduler,
        TaskCompletionSource<IReadOnlyList<StudyDecided>> done)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _spaces = spaces ?? throw new ArgumentNullException(nameof(spaces));
        _backoff = backoff ?? throw new ArgumentNullException(nameof(backoff));
        _scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        _done = done ?? throw new ArgumentNullException(nameof(done));
    }

    /// <summary>Props for the run's root.</summary>
    /// <param name="settings">The bound benchmark settings.</param>
    /// <param name="spaces">Each submission's search space (null under self-tuning).</param>
    /// <param name="backoff">How the tuners' supervisors restart them.</param>
    /// <param name="scheduler">Where tuners send <see cref="RunTrial"/>.</param>
    /// <param name="done">Completed with every study's decision, in plan order.</param>
    public static Props Props(
        BenchmarkSettings settings,
        IReadOnlyDictionary<string, SearchSpace?> spaces,
        RestartBackoff backoff,
        IActorRef scheduler,
        TaskCompletionSource<IReadOnlyList<StudyDecided>> done) =>
        Akka.Actor.Props.Create(() => new BenchmarkActor(settings, spaces, backoff, scheduler, done));

    /// <summary>Every study of the run, in plan order (submission, workload, study; studies 0-based as the reference's <c>study_k</c> directories).</summary>
    public static IReadOnlyList<StudyId> Studies(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var studies = settings.Rules.Studies(settings.Ruleset);
        return [.. from s in settings.Submissions
                   from w in settings.Workloads
                   from k in Enumerable.Range(0, studies)
                   select new StudyId(SubmissionName(s), w, k)];
    }

    /// <summary>The name a submission reference is logged and scored under (an external type's simple name).</summary>
    public static string SubmissionName(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var colon = reference.LastIndexOf(':');
        if (colon < 0)
        {
            return reference;
        }

        var type = reference[(colon + 1)..];
        return type[(type.LastIndexOf('.') + 1)..];
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        foreach (var reference in _settings.Submissions)
        {
            var space = _settings.Ruleset == Ruleset.SelfTuning ? null : _spaces[reference];
            foreach (var study in Studies(_settings).Where(s => s.Submission == SubmissionName(reference)))
            {
                var request = new StudyPlanRequest(
                    study,
                    _settings.Rules,
                    _settings.Ruleset,
                    space,
                    _settings.RunSeed,
                    _settings.PointPolicy,
                    _settings.Selection,
                    _settings.EarlyStopping);
                Props props;
                try
                {
                    props = TunerActor.Supervised(request, _scheduler, Self, _backoff.Min, _backoff.Max, _backoff.RandomFactor);
                }
                catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
                {
                    // Nothing to supervise: the study cannot be planned, so the run stops with the reason.
                    _done.TrySetException(new InvalidOperationException($"the study {study} cannot be planned: {e.Message}", e));
                    return;
                }

                var tuner = Context.ActorOf(props, ChildName(study));
                Context.Watch(tuner);
                _tuners[tuner] = study;
            }
        }
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case StudyDecided d:
                Decided(d);
                break;
            case StudyAbandoned a:
                _log.Error("study {0} abandoned: {1}", a.Study, a.Reason);
                _done.TrySetException(new InvalidOperationException($"the tuner of {a.Study} gave its study up: {a.Reason}"));
                break;
            case Terminated t when _tuners.TryGetValue(t.ActorRef, out var study) && !_decided.ContainsKey(study):
                _done.TrySetException(new InvalidOperationException($"the tuner of {study} stopped before deciding its study (see the log)"));
                break;
            case Terminated:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Decided(StudyDecided decision)
    {
        if (!_decided.TryAdd(decision.Study, decision))
        {
            return;
        }

        _log.Info(
            "study {0} decided: {1} ({2}/{3})",
            decision.Study,
            decision.ChosenTrial is { } t ? $"trial {t}, {decision.TimeToTargetSec:F1} s to target" : "no trial reached the target",
            _decided.Count,
            _tuners.Count);
        if (_decided.Count == _tuners.Count)
        {
            _done.TrySetResult([.. Studies(_settings).Select(s => _decided[s])]);
        }
    }

    private static string ChildName(StudyId study) =>
        new string([.. $"tuner-{study.Submission}-{study.Workload}-{study.Study}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
}
