export interface PasswordPolicy {
  minLength: number;
  /** how many of the four classes (upper case, lower case, digits, symbols) a password must use */
  minClasses: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 8, minClasses: 3 };

/** Problems with a password under the policy, in Chinese; empty when it is acceptable. */
export function passwordProblems(password: string, policy: PasswordPolicy, context: { username?: string } = {}): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < policy.minLength) problems.push(`须至少 ${policy.minLength} 个字符`);
  if (length > 256) problems.push('不能超过 256 个字符');
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password)).length;
  if (classes < policy.minClasses) problems.push(`须包含大写字母、小写字母、数字、符号中的至少 ${policy.minClasses} 类`);
  if (context.username && password.toLowerCase().includes(context.username.toLowerCase())) problems.push('不能包含用户名');
  return problems;
}

export function describePolicy(policy: PasswordPolicy): string {
  return `密码须至少 ${policy.minLength} 位，且包含大写字母、小写字母、数字、符号中的至少 ${policy.minClasses} 类`;
}
