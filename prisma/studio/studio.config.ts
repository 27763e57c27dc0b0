// Prisma Studio runs from Prisma 7's CLI (dev dependency "prisma7"): 6.19's Studio needs a query
// engine binary that cannot be downloaded here. Studio gets its URL from prisma/studio.ts.
export default {};
