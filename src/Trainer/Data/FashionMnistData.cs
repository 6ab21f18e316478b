namespace AlgoPerf.Trainer.Data;

/// <summary>Fashion-MNIST in the dev suite's fixed split (see <see cref="FashionMnist"/>).</summary>
/// <param name="Train">55,000 images of the training file.</param>
/// <param name="Validation">The other 5,000 images of the training file.</param>
/// <param name="Test">The 10,000 images of the test file.</param>
public sealed record FashionMnistData(ImageSplit Train, ImageSplit Validation, ImageSplit Test);
