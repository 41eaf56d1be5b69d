pub mod admin;
pub mod auth;
pub mod home;
pub mod orgs;
pub mod people;
pub mod problems;
pub mod tasks;
