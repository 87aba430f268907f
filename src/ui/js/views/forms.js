// Shared pieces of the create and delete forms.
import { h, notify } from '../dom.js';

/** Comma, space or newline separated list -> array of non-empty strings. */
export function list(value) {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A form whose submit button is disabled while `action` runs; errors are shown in the form. */
export function createForm(title, fields, submitLabel, action) {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, submitLabel);
  const form = h('form', { class: 'create-form', 'aria-label': title }, h('div', { class: 'fields' }, fields), error, submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      await action(form);
    } catch (err) {
      error.textContent = err.message;
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/**
 * A delete button that asks once more in place (no modal), so it works from the keyboard and
 * cannot be triggered by one stray click.
 */
export function deleteButton(what, action) {
  const cell = h('span', { class: 'confirm' });
  const ask = h('button', { type: 'button', class: 'btn btn-danger-quiet', 'aria-label': `Delete ${what}` }, 'Delete');
  const reset = () => {
    cell.replaceChildren(ask);
  };
  ask.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'btn btn-danger', 'aria-label': `Confirm deleting ${what}` }, 'Confirm delete');
    const no = h('button', { type: 'button', class: 'btn btn-quiet' }, 'Cancel');
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await action();
        notify(`Deleted ${what}.`, 'ok');
      } catch (err) {
        notify(err.message, 'error');
        reset();
      }
    });
    no.addEventListener('click', () => {
      reset();
      ask.focus();
    });
    cell.replaceChildren(yes, ' ', no);
    yes.focus();
  });
  reset();
  return cell;
}

/** A collapsible panel holding a create form (a native <details>: keyboard-accessible as is). */
export function createPanel(title, form, open = false) {
  return h('details', { class: 'card create', open }, h('summary', {}, title), form);
}
