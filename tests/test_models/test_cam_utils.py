import pytest
import torch

from wsss_mm.models.utils import (cams_to_seeds, multi_scale_maps,
                                  normalize_cams)


def test_normalize_cams_eq3():
    cams = torch.tensor([[[-1., 2.], [4., 0.]], [[1., 1.], [3., 6.]],
                         [[5., 5.], [5., 5.]]])
    out = normalize_cams(cams, present=torch.tensor([1., 1., 0.]), eps=0)
    torch.testing.assert_close(out[0], torch.tensor([[0., .5], [1., 0.]]))
    torch.testing.assert_close(out[1], torch.tensor([[1 / 6, 1 / 6], [.5,
                                                                      1.]]))
    assert out[2].abs().sum() == 0  # absent class zeroed (eq. 2)


def test_cams_to_seeds_thresholds_and_conflicts():
    cams = torch.tensor([[[0.9, 0.05, 0.5, 0.8]], [[0.1, 0.05, 0.1, 0.7]]])
    seeds = cams_to_seeds(cams, fg_threshold=0.6, bg_threshold=0.2)
    assert seeds.tolist() == [[1, 0, 255, 1]]
    seeds = cams_to_seeds(cams, 0.6, 0.2, conflict='ignore')
    assert seeds.tolist() == [[1, 0, 255, 255]]
    with pytest.raises(ValueError, match='bg_threshold'):
        cams_to_seeds(cams, 0.2, 0.6)


def test_multi_scale_maps_flip_and_scales():
    x = torch.rand(1, 3, 8, 8)
    ident = lambda t: t[:, :2]  # noqa: E731
    out = multi_scale_maps(ident, x, scales=(1.0, ), flip=True)
    torch.testing.assert_close(out, 2 * x[:, :2])  # flip undone exactly
    out = multi_scale_maps(ident, x, scales=(1.0, 0.5), reduce='mean')
    assert out.shape == (1, 2, 8, 8)
