/** A UUID as the database writes them (any case): what an id in a path or a cursor must be before it is looked up. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
