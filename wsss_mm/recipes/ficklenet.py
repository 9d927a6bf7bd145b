"""FickleNet (Lee et al., CVPR'19).

classifier with stochastic hidden-unit selection -> seeds from the Grad-CAMs
of N random selections -> DSRG (seeded region growing, balanced seed loss,
CRF boundary loss) on a LargeFOV (partbody: the shared DeepLab v3 head) -> val.
"""
from .stage import Stage

CLASSIFIER = dict(
    mini='configs/ficklenet/ficklenet_vgg16-slim_mini.py',
    partbody='configs/ficklenet/ficklenet_vgg16-slim_partbody.py',
    voc='configs/ficklenet_vgg16_voc.py')
SEGMENTOR = dict(
    mini='configs/ficklenet/dsrg_largefov_vgg16-slim_mini_ficklenet-seeds.py',
    partbody=('configs/ficklenet/'
              'dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds.py'),
    voc='configs/ficklenet/dsrg_largefov_vgg16_voc12_ficklenet-seeds.py')

STAGES = [
    Stage('classifier', 'train', CLASSIFIER, pretrain='vgg16'),
    Stage(
        'seeds',
        'test',
        CLASSIFIER,
        checkpoint='classifier',
        split='train',
        out=True,
        metrics='seed'),
    Stage(
        'segmentation', 'train', SEGMENTOR, labels='seeds', pretrain='vgg16'),
    Stage('val', 'test', SEGMENTOR, checkpoint='segmentation', metrics='val'),
]
