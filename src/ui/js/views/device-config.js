// The peer device's configuration (POST /v5/{p}/vpn-connection/{id}/peer-configuration/export),
// shown read-only with a copy button. PSKs are placeholders in it: the API never returns them.
import { api } from '../api.js';
import { field, h, notify, section } from '../dom.js';
import { createForm } from './forms.js';

export function deviceConfigPanel(id) {
  const vendor = h('select', { name: 'vendor' }, h('option', { value: 'strongswan' }, 'strongSwan (swanctl.conf)'));
  const version = h('input', { name: 'version', required: true, value: '5.9' });
  const output = h('textarea', {
    class: 'config',
    readonly: true,
    rows: 18,
    spellcheck: 'false',
    'aria-label': 'Generated device configuration',
  });
  const copy = h('button', { type: 'button', class: 'btn', disabled: true }, 'Copy to clipboard');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(output.value);
      notify('Configuration copied.', 'ok');
    } catch {
      // No clipboard permission (plain http on a remote host): select it for Ctrl+C instead.
      output.focus();
      output.select();
      notify('Press Ctrl+C to copy the selected configuration.', 'info');
    }
  });
  const form = createForm(
    'Export device configuration',
    [field('Device', vendor), field('Software version', version)],
    'Generate configuration',
    async () => {
      output.value = await api.exportConfig(id, { vendor: vendor.value, type: 'software', model: 'swanctl', version: version.value });
      copy.disabled = false;
      output.hidden = false;
    },
  );
  output.hidden = true;
  // The panel survives re-renders of the page, so a generated configuration stays on screen.
  return section(
    'Device configuration',
    h('p', { class: 'muted' }, 'Configuration for the customer gateway. Pre-shared keys are placeholders: fill them in on the device.'),
    form,
    output,
    h('div', { class: 'actions' }, copy),
  );
}
