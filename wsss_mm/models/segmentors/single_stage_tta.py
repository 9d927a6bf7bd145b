"""Multi-scale + flip inference of the single-stage model, the reference's way.

The reference (visinf/1-stage-wseg ``infer_val.py`` with
``utils/inference_tools.py: MergeMultiScale``) runs every view (scales x
flip), and then, once per image:

1. class filter: a class is kept when its classifier confidence, the MAX of
   ``sigmoid(score)`` over the views, exceeds ``FP_CUT_SCORE``;
2. each view's masks, cut from the padding, resized to the original image
   and un-flipped, with removed classes zeroed, are AVERAGED;
3. background ``** BG_POW``; argmax -> the prediction;
4. dense CRF on the averaged map -> the CRF prediction.

mmseg's ``SegTTAModel`` averages the softmax of each view's finished
``seg_logits``, so with ``SingleStageSegmentor`` the filter, the background
power and the CRF would run per view before the average (and the CRF once
per view: 8x the CRF time). :class:`SingleStageTTAModel` asks the segmentor
for the raw masks of each view (``predict(..., finalize=False)``), averages
them, merges the confidences and calls ``SingleStageSegmentor.finalize`` once,
the same function a single-view test uses.
"""
from typing import List

import torch
from mmengine.model import BaseTTAModel
from mmseg.registry import MODELS

CLS_MERGES = ('max', 'mean')


@MODELS.register_module()
class SingleStageTTAModel(BaseTTAModel):
    """Test-time augmentation for :class:`SingleStageSegmentor`.

    ``tools/test.py CONFIG CKPT --tta`` builds it from the config's
    ``tta_model`` (``dict(type='SingleStageTTAModel')``) around ``model`` and
    feeds it the views of ``tta_pipeline``. The segmentor's ``test_cfg``
    (``cls_threshold``, ``use_gt_labels``, ``bg_pow``, ``crf``) applies to
    the merged map.

    Args:
        module (dict | nn.Module): The ``SingleStageSegmentor``.
        cls_merge (str): How the views' classifier confidences merge before
            the class filter: ``'max'`` (the reference) or ``'mean'`` (the
            reference's commented-out alternative). Default ``'max'``.
        data_preprocessor: Unused (each view goes through the module's own
            preprocessor), as in ``BaseTTAModel``.
    """

    def __init__(self, module, cls_merge: str = 'max', data_preprocessor=None):
        super().__init__(module=module, data_preprocessor=data_preprocessor)
        if cls_merge not in CLS_MERGES:
            raise ValueError(f'SingleStageTTAModel: cls_merge must be one of '
                             f'{CLS_MERGES}, got {cls_merge!r}')
        for name in ('predict', 'finalize'):
            if not callable(getattr(self.module, name, None)):
                raise TypeError(
                    'SingleStageTTAModel wraps a SingleStageSegmentor '
                    f'(needs {name}), got {type(self.module).__name__}')
        self.cls_merge = cls_merge

    def test_step(self, data):
        """``BaseTTAModel.test_step`` with the raw per-view output."""
        if isinstance(data, dict):
            num_views = len(data[next(iter(data))])
            views = [{k: v[i]
                      for k, v in data.items()} for i in range(num_views)]
        else:
            raise TypeError(
                'SingleStageTTAModel: the TTA data loader gives a dict '
                f'of per-view lists, got {type(data).__name__}')
        per_view = []
        for view in views:
            view = self.module.data_preprocessor(view, False)
            per_view.append(
                self.module.predict(
                    view['inputs'], view['data_samples'], finalize=False))
        return self.merge_preds(list(zip(*per_view)))

    def merge_preds(self, data_samples_list: List[list]) -> list:
        """Per image (a list of its views' raw samples): average the masks,
        merge the confidences, ``finalize`` once. Returns the first view's
        sample (ground truth, ``img_path``, ``ori_shape``) with the result."""
        merged = []
        for views in data_samples_list:
            probs = views[0].view_probs.data.clone()
            for view in views[1:]:
                probs += view.view_probs.data
            probs /= len(views)
            conf = torch.stack([v.view_cls_conf for v in views])
            conf = conf.amax(0) if self.cls_merge == 'max' else conf.mean(0)
            sample = views[0]
            image = sample.crf_image
            for view in views:
                for field in ('view_probs', 'view_cls_conf', 'crf_image'):
                    delattr(view, field)
            merged.append(self.module.finalize(probs, conf, sample, image))
        return merged


__all__ = ['SingleStageTTAModel']
