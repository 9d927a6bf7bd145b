from setuptools import find_packages, setup


def read_version():
    ns = {}
    with open('wsss_mm/version.py') as f:
        exec(f.read(), ns)
    return ns['__version__']


setup(
    name='wsss_mm',
    version=read_version(),
    description='Weakly-supervised semantic segmentation methods as an '
    'mmsegmentation 1.x plugin (FickleNet, single-stage, multi-estimations, DCP)',
    packages=find_packages(include=['wsss_mm', 'wsss_mm.*']),
    python_requires='>=3.9',
    install_requires=[
        'torch', 'torchvision', 'mmengine>=0.10.0', 'mmcv>=2.0.0,<2.2.0',
        'mmsegmentation>=1.2.0', 'mmpretrain>=1.2.0', 'ftfy', 'regex'
    ],
    extras_require={'crf': ['pydensecrf2']},
    zip_safe=False,
)
