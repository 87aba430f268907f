// Request body of CreateConnectionMonitor (CreateConnectionMonitorRequestBodyContent).
import type { Static } from '@sinclair/typebox';
import { uuid } from './gateway.ts';
import { obj, validator } from './validate.ts';

export const CreateMonitorBody = obj({
  connection_monitor: obj({ vpn_connection_id: uuid() }),
});

export type CreateMonitorBody = Static<typeof CreateMonitorBody>;
export const validateCreateMonitor = validator(CreateMonitorBody);
