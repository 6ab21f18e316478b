namespace AlgoPerf.Trainer.Data;

/// <summary>A byte-level text corpus in a fixed train/validation/test split.</summary>
/// <param name="Train">The training text.</param>
/// <param name="Validation">The validation text.</param>
/// <param name="Test">The test text.</param>
/// <param name="SourceFiles">The files read, in the order they were concatenated.</param>
/// <param name="FortuneCount">Number of fortunes across all splits.</param>
public sealed record TextCorpus(TextSplit Train, TextSplit Validation, TextSplit Test, IReadOnlyList<string> SourceFiles, int FortuneCount);
