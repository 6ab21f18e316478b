#!/usr/bin/env python3
"""Writes PeerModels.cs: the parameter names, shapes and counts of the dev-suite models as PyTorch builds them, and
each model's output and loss on a fixed input with fixed parameters (see `fill` and `inputs`; the C# tests rebuild
both with the same formulas and compare).

The base architectures are imported from the peer benchmark (benchmarks/peers/torch_step_bench.py, which is also
their reference definition); the variants and the U-Net (which the peer does not have) are defined here, in the same
style, and are the reference for src/Trainer/Models. Run with Debian's python3-torch:
    /usr/bin/python3 tests/Trainer.Tests/Models/peer_models.py
The output is deterministic (re-running gives the same bytes)."""
import importlib.util, math, os, sys
import torch, torch.nn as nn, torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
peer_path = os.path.join(here, "..", "..", "..", "benchmarks", "peers", "torch_step_bench.py")
sys.argv = [peer_path, "1", "0", "none"]  # the peer runs nothing for an unknown workload name
spec = importlib.util.spec_from_file_location("peer", peer_path)
peer = importlib.util.module_from_spec(spec); spec.loader.exec_module(peer)

class MLPGelu(nn.Module):
    def __init__(s):
        super().__init__(); s.net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.GELU(), nn.Linear(256, 256), nn.GELU(), nn.Linear(256, 10))
    def forward(s, x): return s.net(x)

class PostLNBlock(peer.EncoderBlock):
    """Same parameters as the pre-LN block; only the order of operations differs (wmt_post_ln)."""
    def forward(s, x):
        B, T, D = x.shape
        q, k, v = s.qkv(x).view(B, T, 3, s.h, D // s.h).permute(2, 0, 3, 1, 4)
        a = (q @ k.transpose(-2, -1)) / math.sqrt(D // s.h)
        if s.causal:
            a = a.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
        y = (a.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D)
        x = s.ln1(x + s.proj(y))
        return s.ln2(x + s.fc2(F.gelu(s.fc1(x))))

def post_ln(model):
    for b in model.blocks: b.__class__ = PostLNBlock
    return model

class SiluBlock(peer.Block):
    def forward(s, x):
        y = F.silu(s.b1(s.c1(x))); y = s.b2(s.c2(y))
        return F.silu(y + (x if s.sc is None else s.sc(x)))

def resnet_silu():
    m = peer.ResNet(); m.stem[2] = nn.SiLU()
    for b in m.layers: b.__class__ = SiluBlock
    return m

class DLRMLayerNorm(nn.Module):
    def __init__(s, dense=13, sparse=26, vocab=1000, e=16):
        super().__init__(); s.emb = nn.ModuleList([nn.Embedding(vocab, e) for _ in range(sparse)])
        s.bot = nn.Sequential(nn.Linear(dense, 64), nn.LayerNorm(64), nn.ReLU(), nn.Linear(64, e), nn.ReLU())
        n = sparse + 1
        s.top = nn.Sequential(nn.Linear(e + n * (n - 1) // 2, 64), nn.LayerNorm(64), nn.ReLU(), nn.Linear(64, 1)); s.iu = torch.triu_indices(n, n, 1)
    forward = peer.DLRM.forward

def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, 1, 1, bias=False), nn.Conv2d(cout, cout, 3, 1, 1, bias=False))

class UNet(nn.Module):
    """fastMRI's U-Net shape, small: 16 channels, 2 pooling levels, instance norm (no parameters). Each conv block is
    conv, instance norm, act, conv, instance norm, act; each up level a stride-2 transposed conv, instance norm, act,
    the skip concatenated after it, a conv block; 2x2 average pooling on the way down; a 1x1 conv out."""
    def __init__(s, ch=16, pools=2, act=lambda x: F.leaky_relu(x, 0.2)):
        super().__init__(); s.act = act
        s.down = nn.ModuleList([conv_block(1, ch)] + [conv_block(ch * 2 ** i, ch * 2 ** (i + 1)) for i in range(pools - 1)])
        s.bottleneck = conv_block(ch * 2 ** (pools - 1), ch * 2 ** pools)
        s.up_transpose = nn.ModuleList([nn.ConvTranspose2d(ch * 2 ** (i + 1), ch * 2 ** i, 2, 2, bias=False) for i in reversed(range(pools))])
        s.up = nn.ModuleList([conv_block(ch * 2 ** (i + 1), ch * 2 ** i) for i in reversed(range(pools))])
        s.out = nn.Conv2d(ch, 1, 1)
    def norm_act(s, x): return s.act(F.instance_norm(x))
    def block(s, b, x): return s.norm_act(b[1](s.norm_act(b[0](x))))
    def forward(s, x):
        skips = []
        for b in s.down:
            x = s.block(b, x); skips.append(x); x = F.avg_pool2d(x, 2)
        x = s.block(s.bottleneck, x)
        for t, b in zip(s.up_transpose, s.up):
            x = s.block(b, torch.cat([s.norm_act(t(x)), skips.pop()], 1))
        return s.out(x)

models = {
    "fmnist_mlp": peer.MLP, "fmnist_mlp_gelu": MLPGelu,
    "fmnist_resnet": peer.ResNet, "fmnist_resnet_silu": resnet_silu,
    "fmnist_vit": peer.ViT, "fmnist_vit_post_ln": lambda: post_ln(peer.ViT()),
    "lm_transformer": peer.LM, "lm_transformer_post_ln": lambda: post_ln(peer.LM()),
    "dlrm_synth": peer.DLRM, "dlrm_synth_layernorm": DLRMLayerNorm,
    "unet_denoise": UNet, "unet_denoise_tanh": lambda: UNet(act=torch.tanh),
}

def wave(n, a, b):
    """sin(a(i + 1) + b) for i < n, in float64 (the C# tests use the same formula)."""
    return torch.sin(a * (torch.arange(n, dtype=torch.float64) + 1) + b)

def fill(model):
    """Parameter j (in named_parameters order) of shape S: wave(numel, 0.37, 1.1(j + 1)) / sqrt(numel / S[0]), as float32."""
    with torch.no_grad():
        for j, p in enumerate(model.parameters()):
            p.copy_((wave(p.numel(), 0.37, 1.1 * (j + 1)) / math.sqrt(p.numel() / p.shape[0])).float().view(p.shape))
    return model

def ints(n, mul, add, mod): return (torch.arange(n) * mul + add) % mod

def inputs(name):
    """The fixed inputs and targets per family, and the loss with label smoothing 0.1 (L1 for the U-Net)."""
    if name.startswith("lm_"):
        b = 2
        return (ints(b * 128, 37, 11, 256).view(b, 128),), ints(b * 128, 53, 5, 256).view(b, 128), \
            lambda out, y: F.cross_entropy(out.reshape(-1, 256), y.reshape(-1), label_smoothing=0.1)
    if name.startswith("dlrm_"):
        b = 8
        return (wave(b * 13, 0.21, 0.4).float().view(b, 13), ints(b * 26, 131, 7, 1000).view(b, 26)), (ints(b, 1, 0, 3) == 0).float(), \
            lambda out, y: F.binary_cross_entropy_with_logits(out, y * 0.9 + 0.05)
    x = wave(4 * 784, 0.05, 0.3).float().view(4, 1, 28, 28)
    if name.startswith("unet_"):
        return (x,), ((wave(4 * 784, 0.11, 0.0) + 1) / 2).float().view(4, 1, 28, 28), lambda out, y: (out - y).abs().mean()
    return (x,), ints(4, 3, 1, 10), lambda out, y: F.cross_entropy(out, y, label_smoothing=0.1)
lines = ["// <auto-generated> by tests/Trainer.Tests/Models/peer_models.py from PyTorch " + torch.__version__.split("a")[0] + "; do not edit. </auto-generated>",
         "namespace AlgoPerf.Trainer.Tests.Models;", "",
         "/// <summary>Parameter names and shapes of the dev-suite models as PyTorch builds them (the peer's definitions).</summary>",
         "internal static class PeerModels", "{",
         "    public static IReadOnlyDictionary<string, (string Name, long[] Shape)[]> Parameters { get; } = new Dictionary<string, (string Name, long[] Shape)[]>",
         "    {"]
for name, cls in models.items():
    m = cls()
    lines.append(f'        ["{name}"] =')
    lines.append("        [")
    for pname, p in m.named_parameters():
        lines.append(f'            ("{pname}", [{", ".join(str(d) for d in p.shape)}]),')
    lines.append("        ],")
lines.append("    };")
lines.append("")
lines.append("    public static IReadOnlyDictionary<string, long> Counts { get; } = new Dictionary<string, long>")
lines.append("    {")
for name, cls in models.items():
    lines.append(f'        ["{name}"] = {sum(p.numel() for p in cls().parameters())},')
lines.append("    };")
lines.append("")
lines.append("    /// <summary>Training-mode output of each model with <c>fill</c>'s parameters on <c>inputs</c>: sum, sum of absolute values, the first 8 values (flattened) and the loss.</summary>")
lines.append("    public static IReadOnlyDictionary<string, (double Sum, double AbsSum, double[] First, double Loss)> Outputs { get; } = new Dictionary<string, (double Sum, double AbsSum, double[] First, double Loss)>")
lines.append("    {")
torch.set_num_threads(1)
for name, cls in models.items():
    m = fill(cls()); xs, y, loss = inputs(name)
    out = m(*xs).double()
    first = ", ".join(repr(v) for v in out.flatten()[:8].tolist())
    lines.append(f'        ["{name}"] = ({out.sum().item()!r}, {out.abs().sum().item()!r}, [{first}], {loss(out, y).item()!r}),')
lines.append("    };")
lines.append("}")
with open(os.path.join(here, "PeerModels.cs"), "w") as f:
    f.write("\n".join(lines) + "\n")
