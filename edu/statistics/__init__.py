"""Learning statistics for any set of learners: one learner (My progress), a cohort (instructor
insight) or the whole program (analytics).

Every figure is computed here from the per-attempt summary rows (finished case attempts, quiz
answers), never from raw events, and no audience's pages own it: they call it. `levels` holds
accuracy per localization level and the true × chosen confusion matrix.
"""
