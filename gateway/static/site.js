// Progressive help for the forms; every form works without it.
// Moving a slider makes it the answer (an untouched slider is no answer).
document.querySelectorAll("input[type=range][data-answers]").forEach((slider) => {
  slider.addEventListener("input", () => {
    const answer = slider.form.querySelector(
      `input[type=radio][name="${CSS.escape(slider.dataset.answers)}"][value=answer]`,
    );
    if (answer) answer.checked = true;
  });
});
