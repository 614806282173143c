/** What creating a service account returns (for the "Create a key for it" offer). */
export type CreatedServiceAccount = { id: string; name: string };
