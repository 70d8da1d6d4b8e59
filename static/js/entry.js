// The entry grid's amounts: each won input keeps its thousands separators as it is typed ("1234000" →
// "1,234,000"), and the 천원 figure beside it (rounded half up, as the report does) follows the input.
// Without this script the grid still works: the server accepts figures with or without separators.
(function () {
  "use strict";

  function digitsBefore(text, position) {
    return text.slice(0, position).replace(/[^0-9]/g, "").length;
  }

  function caretAfterDigits(text, count) {
    if (count === 0) return 0;
    for (let i = 0, seen = 0; i < text.length; i++) {
      if (/[0-9]/.test(text[i]) && ++seen === count) return i + 1;
    }
    return text.length;
  }

  function thousands(won) {  // BigInt: no digit of a long figure is changed by floating point
    return ((won + 500n) / 1000n).toLocaleString("en-US");
  }

  function update(input) {
    const raw = input.value;
    const output = document.querySelector('output[for="' + input.id + '"]');
    if (!/^[0-9,\s]*$/.test(raw)) {  // something that is not an amount: left as typed for the server to name
      if (output) output.textContent = "";
      return;
    }
    const digits = raw.replace(/[^0-9]/g, "").replace(/^0+(?=[0-9])/, "");
    const formatted = digits ? BigInt(digits).toLocaleString("en-US") : "";
    if (formatted !== raw) {
      const caret = digitsBefore(raw, input.selectionStart || 0);
      input.value = formatted;
      if (document.activeElement === input) {
        const position = caretAfterDigits(formatted, caret);
        input.setSelectionRange(position, position);
      }
    }
    if (output) output.textContent = digits ? thousands(BigInt(digits)) : "";
  }

  document.querySelectorAll("input.won").forEach(function (input) {
    input.addEventListener("input", function () { update(input); });
  });
})();
