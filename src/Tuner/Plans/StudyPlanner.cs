using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Tuner.Halton;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Tuner.Plans;

/// <summary>
/// Turns a study's request into its plan, deterministically: the same request gives the same plan on every machine.
/// External tuning draws the study's points per <see cref="StudyPointPolicy"/>; self-tuning plans one trial with no
/// hyperparameters and the budget times the rules' self-tuning factor.
/// </summary>
public static class StudyPlanner
{
    /// <summary>The plan for a study.</summary>
    /// <exception cref="ArgumentException">A search space is missing (external tuning) or given (self-tuning), or the study index is out of range.</exception>
    /// <exception cref="KeyNotFoundException">The rules have no such workload.</exception>
    public static StudyPlan Plan(StudyPlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rules = request.Rules;
        var study = request.Study;
        var workload = rules.Workload(study.Workload);
        var studies = rules.Studies(request.Ruleset);
        if (study.Study < 0 || study.Study >= studies)
        {
            throw new ArgumentException($"study {study.Study} is out of range: rules {rules.Name} have {studies} studies per workload under {request.Ruleset.ToWire()}", nameof(request));
        }

        var budget = rules.Budget(workload, request.Ruleset);
        IReadOnlyList<HyperparameterPoint> points;
        uint shuffleSeed;
        if (request.Ruleset == Ruleset.SelfTuning)
        {
            if (request.Space is not null)
            {
                throw new ArgumentException($"self-tuning takes no search space (got {request.Space.Source})", nameof(request));
            }

            points = [HyperparameterPoint.Empty];
            shuffleSeed = 0;
        }
        else
        {
            var space = request.Space ?? throw new ArgumentException($"external tuning needs a search space for {study}", nameof(request));
            (points, shuffleSeed) = Points(space, request, rules.Trials(request.Ruleset), studies);
        }

        var trials = points
            .Select((p, i) =>
            {
                var id = study.Trial(i + 1);
                return new PlannedTrial(id, p, TrialSeeds.Trial(request.RunSeed, id), budget);
            })
            .ToList();
        var header = new StudyPlanned(
            study,
            request.Ruleset.ToWire(),
            rules.Name,
            request.Policy.ToWire(),
            shuffleSeed,
            trials.Count,
            workload.ValidationMetricKey,
            workload.Direction,
            workload.ValidationTarget,
            request.Selection.ToWire(),
            request.EarlyStopping);
        return new StudyPlan(header, trials);
    }

    private static (IReadOnlyList<HyperparameterPoint> Points, uint ShuffleSeed) Points(SearchSpace space, StudyPlanRequest request, int trialsPerStudy, int studies)
    {
        var study = request.Study;
        if (space.Format == SearchSpaceFormat.FixedPoints)
        {
            // The reference uses the first min(N, len) points in file order for every study, whatever the policy.
            return (HaltonSearch.Generate(space, trialsPerStudy, 0), 0);
        }

        if (request.Policy == StudyPointPolicy.Reference)
        {
            var seed = TrialSeeds.StudyShuffle(request.RunSeed, study);
            return (HaltonSearch.Generate(space, trialsPerStudy, seed), seed);
        }

        var workloadSeed = TrialSeeds.WorkloadShuffle(request.RunSeed, study.Submission, study.Workload);
        var all = HaltonSearch.Generate(space, trialsPerStudy * studies, workloadSeed);
        return (all.Skip(study.Study * trialsPerStudy).Take(trialsPerStudy).ToList(), workloadSeed);
    }
}
