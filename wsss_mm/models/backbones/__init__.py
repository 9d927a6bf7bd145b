from .deeplab_vgg import DeepLabVGG

__all__ = ['DeepLabVGG']
