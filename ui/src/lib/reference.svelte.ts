// Reference data (regions, municipalities, code lists), loaded once after unlocking.
import type { Collection } from "./generated/Collection";
import { COLLECTION_SPECS } from "./generated/collectionSpecs";
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

/** The region that holds no municipality: organisations with a country (embassies). */
const ABROAD = "abroad";

/** The regions a place of `collection`'s records can be in: abroad only where they have
 * a country (organisations; materials handed out are placed by theirs). */
export function placeRegions(collection: Collection): string[] {
  const all = data?.codes.region ?? [];
  const abroad = COLLECTION_SPECS[collection].fields.some((f) => f.name === "country");
  return abroad ? all : all.filter((c) => c !== ABROAD);
}
