// Shared mapping of connection body parts onto domain values.
import type { PolicyRule } from '../../../domain/entities.ts';

export function fromPolicyRules(
  rules: { rule_index: number; source: string; destination: string[] }[] | undefined,
): PolicyRule[] | undefined {
  return rules?.map((r) => ({ ruleIndex: r.rule_index, source: r.source, destinations: r.destination }));
}
