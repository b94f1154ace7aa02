// Quick buttons for the meeting's length: a tap fills the minutes field. Without JavaScript
// the buttons stay hidden and the field is typed in as usual.
document.addEventListener("DOMContentLoaded", () => {
  for (const group of document.querySelectorAll("[data-quick-minutes]")) {
    const input = document.getElementById(group.dataset.quickMinutes);
    if (!input) continue;
    const buttons = [...group.querySelectorAll("button[data-minutes]")];
    const mark = () => buttons.forEach((b) =>
      b.setAttribute("aria-pressed", String(b.dataset.minutes === input.value)));
    buttons.forEach((b) => b.addEventListener("click", () => { input.value = b.dataset.minutes; mark(); }));
    input.addEventListener("input", mark);
    group.hidden = false;
    mark();
  }
});
