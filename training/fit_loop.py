"""The epoch loop every training script shares (train_segmentation.py,
train_segmentation3d.py, train_inpainting.py): a fixed number of optimiser steps per
epoch, validation, ReduceLROnPlateau on the validation loss, the best weights kept,
early stopping after `patience` epochs without a better validation loss, and a
wall-clock safety stop. The history rows are what the model cards plot."""
import time

import torch


def fit(net, opt, sched, train_step, validate, *, epochs, steps_per_epoch, patience, max_minutes,
        initial_best=None, on_best=None):
    """train_step() runs one optimiser step and returns its loss (float).
    validate() returns (validation loss, {history fields}, text for the log line); it runs
    under torch.no_grad() with the net in eval mode.
    initial_best: (loss, epoch, state_dict) to beat; default (inf, -1, None).
    on_best(epoch, state_dict) is called when the validation loss improves.
    Returns (history, best, stopped, training seconds); best = (loss, epoch, state_dict copy)."""
    history = []
    best = initial_best or (float('inf'), -1, None)
    stopped = 'epochs'
    t0 = time.time()
    for epoch in range(1, epochs + 1):
        net.train()
        tl = 0.0
        for _ in range(steps_per_epoch):
            tl += train_step()
        tl /= steps_per_epoch
        net.eval()
        with torch.no_grad():
            vl, fields, text = validate()
        sched.step(vl)
        lr = opt.param_groups[0]['lr']
        history.append({'epoch': epoch, 'trainLoss': round(tl, 5), 'valLoss': round(vl, 5), **fields,
                        'lr': lr, 'seconds': round(time.time() - t0, 1)})
        print(f'epoch {epoch:3d} train {tl:.4f} val {vl:.4f} {text} lr {lr:g} {time.time() - t0:.0f} s', flush=True)
        if vl < best[0]:
            best = (vl, epoch, {k: v.detach().cpu().clone() for k, v in net.state_dict().items()})
            if on_best:
                on_best(epoch, best[2])
        elif epoch - best[1] >= patience:
            stopped = f'early stopping (patience {patience})'
            break
        if max_minutes > 0 and time.time() - t0 > max_minutes * 60:
            stopped = f'time limit ({max_minutes} min)'
            break
    return history, best, stopped, time.time() - t0
