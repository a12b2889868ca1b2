/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { CUSTOMER_NAME_MAX_LENGTH } from '../../../contracts/customer-name';
import type { FieldProblem } from './api-client';
import { byId, h } from './dom';
import { DRINK_FIELDS, FIELD_NAMES, type DrinkField } from './drink-fields';

/**
 * The order form's errors: the API's problems, one per field, as plain sentences beside their controls and in
 * a summary at the top whose links lead to them.
 */

/** Which control an API field such as `customerId` or `drinks[2].sugar` belongs to, if the page has one. */
function controlIdOf(field: string): string | undefined {
  if (field === 'drinks') return 'drinks';
  const match = /^drinks\[(\d+)\](?:\.(\w+))?/.exec(field);
  // Any other field of the order is the control of its name (the order's own fields, the name among them).
  if (!match) return document.getElementById(field) ? field : undefined;
  if (!document.getElementById(`drink-${match[1]}`)) return undefined;
  const drinkField = match[2] as DrinkField | undefined;
  return drinkField && DRINK_FIELDS.includes(drinkField) ? `drink-${match[1]}-${drinkField}` : `drink-${match[1]}`;
}

/** What a customer reads for a problem the API reports by code; the API's own sentence otherwise. */
function customerMessage(problem: FieldProblem): string {
  if (problem.field === 'customerId') {
    if (problem.code === 'too_small' || problem.code === 'invalid_type') return 'Please enter your name.';
    if (problem.code === 'too_big') return `Your name can be at most ${CUSTOMER_NAME_MAX_LENGTH} characters.`;
    if (problem.code === 'invalid_format') return "Your name can use letters, digits, single spaces between words and ' - . _ @.";
  }
  return problem.message;
}

function fieldName(field: string): string {
  if (field === 'drinks') return 'Drinks';
  const match = /^drinks\[(\d+)\](?:\.(\w+))?/.exec(field);
  if (match) {
    const part = match[2] ? FIELD_NAMES[match[2] as DrinkField] ?? match[2] : undefined;
    return `Drink ${Number(match[1]) + 1}${part ? `, ${part.toLowerCase()}` : ''}`;
  }
  return document.querySelector(`label[for="${CSS.escape(field)}"]`)?.textContent?.trim() || field;
}

export function clearFieldError(controlId: string): void {
  const message = document.getElementById(`${controlId}-error`);
  if (message) message.textContent = '';
  document.getElementById(controlId)?.removeAttribute('aria-invalid');
}

export function clearErrors(): void {
  const form = byId<HTMLFormElement>('order-form');
  byId('form-errors').replaceChildren();
  for (const message of form.querySelectorAll<HTMLElement>('.field-error')) message.textContent = '';
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

export function showErrors(message: string, allProblems: FieldProblem[]): void {
  clearErrors();
  const summary = byId('form-errors');
  // One message per field: the first says what to fix.
  const problems = allProblems.filter((problem, index) => allProblems.findIndex((other) => other.field === problem.field) === index);
  const items = problems.map((problem) => {
    const controlId = controlIdOf(problem.field);
    const sentence = customerMessage(problem);
    const text = `${fieldName(problem.field)}: ${sentence}`;
    if (!controlId) return h('li', {}, text);
    const fieldMessage = document.getElementById(`${controlId}-error`);
    if (fieldMessage) fieldMessage.textContent = sentence;
    document.getElementById(controlId)?.setAttribute('aria-invalid', 'true');
    const target = controlId === 'drinks' ? 'add-drink' : /^drink-\d+$/.test(controlId) ? `${controlId}-tea` : controlId;
    return h('li', {}, h('a', { href: `#${target}`, onclick: (event: Event) => focusControl(event, target) }, text));
  });
  const intro = problems.length && message === 'Invalid order' ? 'Some details need changing before we can make your order.' : message;
  summary.replaceChildren(h('h2', {}, problems.length ? 'Please check your order' : 'Your order was not placed'), h('p', {}, intro), items.length ? h('ul', {}, items) : '');
  summary.focus();
}

function focusControl(event: Event, id: string): void {
  event.preventDefault();
  const control = document.getElementById(id);
  control?.focus();
  control?.scrollIntoView({ block: 'center' });
}
