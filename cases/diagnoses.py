"""Where in the motor unit each diagnosis a case offers sits, so the debrief can say when the
diagnosis a learner named contradicts the level they committed.

Case files list diagnoses as options with an id and a label; the ids are shared across cases
(`myasthenia-gravis`, `gbs`, `cidp`...). This table gives each id the levels the disease
involves. For a case's own answer the case file is the authority: the levels it gives full
credit are that diagnosis's levels there. An id missing from the table is simply not judged
(tests/cases/test_diagnoses.py checks that every diagnosis in content/cases/ is covered).
"""

from __future__ import annotations

from cases.engine.schema import Case

UMN = "upper-motor-neuron"
AHC = "anterior-horn-cell"
ROOT = "nerve-root"
NERVE = "peripheral-nerve"
NMJ = "neuromuscular-junction"
MUSCLE = "muscle"
NOT_WEAKNESS = "not-weakness"

DIAGNOSIS_LEVELS: dict[str, tuple[str, ...]] = {
    # Brain and spinal cord
    "cervical-myelopathy": (UMN,),
    "transverse-myelitis": (UMN,),
    "cord-infarct": (UMN,),
    "brainstem-stroke": (UMN,),
    "spastic-diplegia": (UMN,),
    "central-hypotonia": (UMN,),
    "b12": (UMN, NERVE),  # subacute combined degeneration: cord and peripheral nerves
    # Anterior horn cell
    "als": (AHC, UMN),
    "mnd": (AHC, UMN),
    "sma-1": (AHC,),
    "sma-3": (AHC,),
    # Roots and nerves
    "c7-radiculopathy": (ROOT,),
    "c8-radiculopathy": (ROOT,),
    "l5-radiculopathy": (ROOT,),
    "lumbosacral-plexopathy": (ROOT, NERVE),  # the plexus, between root and nerve
    "neuralgic-amyotrophy": (ROOT, NERVE),  # the brachial plexus, between root and nerve
    "gbs": (ROOT, NERVE),
    "cidp": (ROOT, NERVE),
    "mmn": (NERVE,),
    "carpal-tunnel": (NERVE,),
    "radial-palsy": (NERVE,),
    "sciatic-neuropathy": (NERVE,),
    "cmt": (NERVE,),
    "cipnm": (NERVE, MUSCLE),
    # Neuromuscular junction
    "myasthenia-gravis": (NMJ,),
    "myasthenic-crisis": (NMJ,),
    "cholinergic-crisis": (NMJ,),
    "lems": (NMJ,),
    "botulism": (NMJ,),
    "infant-botulism": (NMJ,),
    "residual-sedation": (NMJ, UMN),  # blockers at the junction, sedatives in the brain
    # Muscle
    "dermatomyositis": (MUSCLE,),
    "polymyositis": (MUSCLE,),
    "inflammatory-myopathy": (MUSCLE,),
    "statin-necrotising": (MUSCLE,),
    "hypothyroid-myopathy": (MUSCLE,),
    "ibm": (MUSCLE,),
    "fshd": (MUSCLE,),
    "dmd": (MUSCLE,),
    "bmd": (MUSCLE,),
    "lgmd": (MUSCLE,),
    "congenital-myopathy": (MUSCLE,),
    "pompe": (MUSCLE,),
    "hypokalaemic-paralysis": (MUSCLE,),  # a channel disorder of the muscle membrane
    # Not weakness
    "iron-deficiency-fatigue": (NOT_WEAKNESS,),
    "me-cfs": (NOT_WEAKNESS,),
    "depression-fatigue": (NOT_WEAKNESS,),
    "hypothyroidism": (NOT_WEAKNESS, MUSCLE),
    "pmr": (NOT_WEAKNESS,),  # pain and stiffness limit effort; power is normal
}


def diagnosis_levels(case: Case, diagnosis: str) -> tuple[str, ...]:
    """The levels a diagnosis involves in this case; () when it is not known."""
    if diagnosis and diagnosis == case.diagnosis.answer:
        full = tuple(level for level, credit in case.localization.credit.items() if credit >= 1)
        return full or (case.localization.answer,)
    return DIAGNOSIS_LEVELS.get(diagnosis, ())


def contradicts(case: Case, diagnosis: str, level: str) -> bool:
    """True when the named diagnosis is known to sit elsewhere than the committed level."""
    levels = diagnosis_levels(case, diagnosis)
    return bool(levels) and level not in levels
