export function DncPage() {
  return null;
}
