"""Learning statistics for any set of learners: one learner, a cohort or the whole program."""
