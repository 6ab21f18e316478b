namespace Foreign;

/// <summary>A type outside the product's namespaces, as a peer of another program could send.</summary>
public sealed record Gadget(int X);
