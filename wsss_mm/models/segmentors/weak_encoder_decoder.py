"""EncoderDecoder whose heads can see the input image (CRF / PAMR losses)."""
from mmengine.structures import PixelData
from mmseg.models.segmentors import EncoderDecoder
from mmseg.registry import MODELS
from torch import Tensor


def denormalize_inputs(inputs: Tensor, data_preprocessor) -> Tensor:
    """Undo ``SegDataPreProcessor`` normalisation: (B, 3, H, W) -> RGB in
    [0, 1] (``bgr_to_rgb`` has already run, so the channels are RGB when the
    preprocessor converts; padding comes back as the mean colour)."""
    mean = getattr(data_preprocessor, 'mean', None)
    std = getattr(data_preprocessor, 'std', None)
    img = inputs
    if mean is not None and std is not None and getattr(
            data_preprocessor, '_enable_normalize', True):
        img = inputs * std + mean
    return (img / 255.).clamp(0, 1)


@MODELS.register_module()
class WeakEncoderDecoder(EncoderDecoder):
    """``EncoderDecoder`` that attaches the augmented input image to each data
    sample as ``img_rgb`` (PixelData, (3, H, W) float RGB in [0, 1]) before
    the losses run, so a head's loss can use it: DSRG's dense-CRF boundary
    loss, PAMR pseudo-labels. Inference is ``EncoderDecoder``'s.
    """

    def loss(self, inputs: Tensor, data_samples) -> dict:
        images = denormalize_inputs(inputs.detach(), self.data_preprocessor)
        for sample, img in zip(data_samples, images):
            sample.img_rgb = PixelData(data=img)
        return super().loss(inputs, data_samples)
