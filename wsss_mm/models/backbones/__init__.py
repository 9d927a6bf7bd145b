from .deeplab_vgg import DeepLabVGG
from .wideresnet38 import WideResNet38

__all__ = ['DeepLabVGG', 'WideResNet38']
