// The consultant's own name as set in Settings (empty until set): the default owner of
// new follow-ups and the owner "mine" filters on.
let name = $state("");

export const me = {
  get name(): string {
    return name;
  },
};

export function setMyName(value: string): void {
  name = value.trim();
}
