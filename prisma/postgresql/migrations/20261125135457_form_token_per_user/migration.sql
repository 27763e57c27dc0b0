-- AlterTable
ALTER TABLE "FormToken" DROP CONSTRAINT "FormToken_pkey",
ADD CONSTRAINT "FormToken_pkey" PRIMARY KEY ("userId", "token");

