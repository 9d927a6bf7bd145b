"""Distributed runs on machines without CUDA (gloo backend)."""
import os

import torch
import torch.distributed as dist
from mmengine.config import Config


def setup_cpu_distributed(cfg: Config, launcher: str) -> bool:
    """Make ``--launcher pytorch`` work without CUDA.

    mmengine's ``init_dist('pytorch')`` calls ``torch.cuda.set_device`` and
    its default DDP wrapper passes ``device_ids=[LOCAL_RANK]``; both fail
    without CUDA. On such a machine this creates the gloo process group from
    torchrun's environment *before* the Runner (which then skips its own
    ``init_dist``) and wraps the model with ``device_ids=None``.

    Returns True when it set up a CPU process group. Does nothing on CUDA
    machines or for other launchers.
    """
    if launcher != 'pytorch' or torch.cuda.is_available():
        return False
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg',
                                             {})['backend'] = 'gloo'
    wrapper = dict(cfg.get('model_wrapper_cfg') or {})
    wrapper.setdefault('type', 'MMDistributedDataParallel')
    wrapper['device_ids'] = None
    wrapper.setdefault('find_unused_parameters', True)
    cfg.model_wrapper_cfg = wrapper
    os.environ.setdefault('LOCAL_RANK', '0')
    return True


def teardown_distributed() -> None:
    """End a run's process group cleanly: every rank waits for the others,
    then the group is destroyed. A rank that simply exits while another still
    talks to it can take gloo down with ``terminate called without an active
    exception`` (seen once with 2 CPU ranks under load)."""
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
