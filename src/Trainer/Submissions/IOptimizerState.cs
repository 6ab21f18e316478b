namespace AlgoPerf.Trainer.Submissions;

/// <summary>
/// What <see cref="ISubmission.InitOptimizerState"/> returns and every later call receives (the reference's
/// <c>optimizer_state</c>): whatever the submission keeps between steps, checkpointable as named tensors and scalars.
/// The runner saves <see cref="Save"/>'s result with each checkpoint; to resume it calls
/// <see cref="ISubmission.InitOptimizerState"/> again and then <see cref="Load"/> with what it saved (as PyTorch's
/// <c>load_state_dict</c> after construction). The runner disposes the state when the trial ends.
/// </summary>
public interface IOptimizerState : IDisposable
{
    /// <summary>The state as named tensors (live, not copies: save them before the next update) and scalars.</summary>
    StateDict Save();

    /// <summary>Replaces the state with a copy of a saved one (the caller keeps ownership of its tensors).</summary>
    /// <exception cref="InvalidDataException">The saved state does not fit this submission (a missing entry, a wrong shape).</exception>
    void Load(StateDict state);
}
