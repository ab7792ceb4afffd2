"""manage.py seed_synthetic: SYNTHETIC program-scale data for measuring the analytics pages.

Defaults are the program scale the pages must stay fast at: 5,000 learners in 50 cohorts,
200,000 case attempts with at least 4 million events, 30,000 quiz sittings. Everything made is
marked synthetic (see edu/analytics/synthetic.py); `--clear` removes it.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from edu.analytics import synthetic


class Command(BaseCommand):
    help = "Make SYNTHETIC learners, cohorts, case attempts, events and quiz sittings in bulk."

    def add_arguments(self, parser):
        plan = synthetic.Plan()
        parser.add_argument("--learners", type=int, default=plan.learners)
        parser.add_argument("--cohorts", type=int, default=plan.cohorts)
        parser.add_argument("--attempts", type=int, default=plan.attempts)
        parser.add_argument(
            "--events", type=int, default=plan.events, help="Case events in all (at least)."
        )
        parser.add_argument("--sittings", type=int, default=plan.sittings)
        parser.add_argument("--weeks", type=int, default=plan.weeks)
        parser.add_argument("--seed", type=int, default=plan.seed)
        parser.add_argument(
            "--clear", action="store_true", help="Remove all synthetic data (and make none)."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Remove earlier synthetic data first."
        )

    def handle(self, *args, **options):
        began = time.perf_counter()
        if options["clear"] or options["replace"]:
            gone = synthetic.clear_synthetic()
            self.stdout.write(f"Removed {gone} synthetic learners and everything they did.")
            if options["clear"]:
                return
        elif synthetic.User.objects.filter(username__startswith=synthetic.PREFIX).exists():
            raise CommandError(
                "Synthetic data is already here; use --replace to make it again or --clear."
            )
        if options["cohorts"] < 1 or options["learners"] < 1:
            raise CommandError("Give at least one learner and one cohort.")
        plan = synthetic.Plan(
            learners=options["learners"],
            cohorts=options["cohorts"],
            attempts=options["attempts"],
            events=options["events"],
            sittings=options["sittings"],
            weeks=options["weeks"],
            seed=options["seed"],
        )
        self.stdout.write(self.style.WARNING("SYNTHETIC DATA for measurement, not real learners."))
        try:
            made = synthetic.seed(plan, say=lambda line: self.stdout.write(f"  {line}"))
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        seconds = time.perf_counter() - began
        self.stdout.write(
            self.style.SUCCESS(
                f"Made {made['learners']} synthetic learners in {made['cohorts']} cohorts, "
                f"{made['attempts']} case attempts, {made['events']} events and "
                f"{made['sittings']} quiz sittings in {seconds:.0f} s."
            )
        )
