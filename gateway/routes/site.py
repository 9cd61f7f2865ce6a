"""The home page and the join form, in steps: about you, the principles, your
promise, your story, your choices about sharing, then done."""

from typing import Any

from werkzeug.wrappers import Request, Response

from contracts.errors import Conflict, InvalidInput, NotFound
from gateway import join_steps, pages, story_form
from gateway.http import route
from gateway.i18n import negotiate
from gateway.routes.base import GatewayBase


class SiteRoutes(GatewayBase):
    @route("GET", "/")
    def index(self, request: Request) -> Response:
        """The home page: what the network is, its principles, the drive."""
        self.allow(request, "site.view")
        principles = self._call(self.membership, "get_principles")
        return pages.page(
            "index.html",
            request=request,
            principles=principles,
            drive=self._drive(request),
        )

    @route("GET", "/join")
    def join_page(self, request: Request) -> Response:
        """The first step of joining."""
        self.allow(request, "site.view")
        return self._step(request, "about", {})

    @route("POST", "/join")
    def join_form(self, request: Request) -> Response:
        """A step of the join form: `step` says which, `go` is `next` or
        `back`. A form without `step` is the whole form at once."""
        self.allow(request, "members.join")
        if "step" not in request.form:
            return self._send(request)
        step = join_steps.step_named(request.form.get("step"))
        if request.form.get("go") == "back":
            return self._step(request, join_steps.neighbour(step, -1), {})
        errors = join_steps.errors_up_to(step, self._errors(request, step))
        if errors:
            return self._step(request, join_steps.first_step_with(errors), errors)
        if step == join_steps.STEPS[-1]:
            return self._send(request)
        return self._step(request, join_steps.neighbour(step, 1), {})

    def _errors(self, request: Request, step: str) -> dict[str, list[str]]:
        join = pages.form_to_join(request.form)
        agreed = request.form.get("agree") == "yes"
        errors = pages.flat_errors(join_steps.membership_errors(join, agreed))
        if join_steps.STEPS.index(step) >= join_steps.STEPS.index("story"):
            errors.update(self._story_errors(request))
        return errors

    def _story_errors(self, request: Request) -> dict[str, list[str]]:
        story = self._story(request)
        if story is None:
            return {}
        try:
            self._call(self.stories, "check_story", story)
        except InvalidInput as error:
            return story_form.story_errors(error.errors)
        return {}

    def _story(self, request: Request) -> dict | None:
        if not story_form.is_told(request.form):
            return None
        framework = self._call(self.stories, "get_framework", None)
        language = request.form.get("language") or negotiate(request)
        return story_form.story_from_form(request.form, framework, language)

    def _send(self, request: Request) -> Response:
        form = pages.form_to_join(request.form)
        self.limits.hit("join", request, email=form["email"])
        story_errors = self._story_errors(request)
        if story_errors:
            return self._step(request, "story", story_errors)
        try:
            form["story"] = self._story(request)
            self._call(self.membership, "join", form)
        except (InvalidInput, Conflict) as error:
            errors = pages.flat_errors(getattr(error, "errors", {}))
            if not errors:
                return self._step(request, "sharing", {}, str(error), 409)
            return self._step(request, join_steps.first_step_with(errors), errors)
        return pages.page("joined.html", request=request)

    def _step(
        self,
        request: Request,
        step: str,
        errors: dict,
        problem: str = "",
        status: int | None = None,
    ) -> Response:
        return pages.page(
            "join.html",
            status or (400 if errors else 200),
            request,
            step=step,
            steps=join_steps.STEPS,
            form=request.form,
            carried=join_steps.carried(request.form, step),
            errors=errors,
            problem=problem,
            principles=self._call(self.membership, "get_principles"),
            framework=self._framework(step),
        )

    def _framework(self, step: str) -> dict[str, Any] | None:
        if step != "story":
            return None
        framework = self._call(self.stories, "get_framework", None)
        return {**framework, "asked": story_form.asked(framework)}

    def _drive(self, request: Request) -> dict[str, Any] | None:
        try:
            progress = self._call(self.membership, "drive_progress", "current")
        except NotFound:
            return None
        return pages.drive_view(progress, negotiate(request))
