// Reference data (regions, municipalities, code lists), loaded once after unlocking.
import type { ReferenceData } from "./generated/ReferenceData";
import { records } from "./records";

let data = $state<ReferenceData | null>(null);

export const reference = {
  get data(): ReferenceData | null {
    return data;
  },
};

export async function loadReference(): Promise<void> {
  if (!data) data = await records.referenceData();
}
