#!/usr/bin/env python3
"""Peer benchmark for unet_denoise, which torch_step_bench.py (a verbatim copy of the shared peer) does not define:
the same timed step (its `run`: forward, loss, backward, torch.optim.AdamW lr 1e-3 on one fixed batch, 3 warm-up
steps, then steps for the given seconds) on the U-Net of tests/Trainer.Tests/Models/peer_models.py (fastMRI's U-Net
shape: 16 channels, 2 pooling levels, instance norm, leaky ReLU 0.2), batch 64 of (1, 28, 28) standard-normal noisy
images against uniform [0, 1) clean ones, L1 loss.
Usage: torch_unet_step_bench.py [threads] [seconds]   (prints one JSON line, as torch_step_bench.py)"""
import importlib.util, os, sys
import torch, torch.nn as nn, torch.nn.functional as F

threads = sys.argv[1] if len(sys.argv) > 1 else "1"
seconds = sys.argv[2] if len(sys.argv) > 2 else "5"
here = os.path.dirname(os.path.abspath(__file__))
sys.argv = [os.path.join(here, "torch_step_bench.py"), threads, seconds, "none"]  # the peer runs nothing for "none"
spec = importlib.util.spec_from_file_location("peer", sys.argv[0])
peer = importlib.util.module_from_spec(spec); spec.loader.exec_module(peer)

def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, 1, 1, bias=False), nn.Conv2d(cout, cout, 3, 1, 1, bias=False))

class UNet(nn.Module):
    def __init__(s, ch=16, pools=2):
        super().__init__()
        s.down = nn.ModuleList([conv_block(1, ch)] + [conv_block(ch * 2 ** i, ch * 2 ** (i + 1)) for i in range(pools - 1)])
        s.bottleneck = conv_block(ch * 2 ** (pools - 1), ch * 2 ** pools)
        s.up_transpose = nn.ModuleList([nn.ConvTranspose2d(ch * 2 ** (i + 1), ch * 2 ** i, 2, 2, bias=False) for i in reversed(range(pools))])
        s.up = nn.ModuleList([conv_block(ch * 2 ** (i + 1), ch * 2 ** i) for i in reversed(range(pools))])
        s.out = nn.Conv2d(ch, 1, 1)
    def norm_act(s, x): return F.leaky_relu(F.instance_norm(x), 0.2)
    def block(s, b, x): return s.norm_act(b[1](s.norm_act(b[0](x))))
    def forward(s, x):
        skips = []
        for b in s.down:
            x = s.block(b, x); skips.append(x); x = F.avg_pool2d(x, 2)
        x = s.block(s.bottleneck, x)
        for t, b in zip(s.up_transpose, s.up):
            x = s.block(b, torch.cat([s.norm_act(t(x)), skips.pop()], 1))
        return s.out(x)

peer.run("unet_denoise", UNet(), lambda b: (torch.randn(b, 1, 28, 28), torch.rand(b, 1, 28, 28)), lambda m, x, y: F.l1_loss(m(x), y), 64)
